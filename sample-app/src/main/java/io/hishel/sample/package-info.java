/**
 * The sample application: one endpoint per feature of the cache, and a live page that shows each
 * decision as it is made.
 */
package io.hishel.sample;
