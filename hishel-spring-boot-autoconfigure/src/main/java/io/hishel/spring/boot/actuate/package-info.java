/**
 * The cache in Actuator: the {@code hishel} endpoint (statistics, entries, purge), the health
 * indicator of the storage, and Micrometer meters.
 */
package io.hishel.spring.boot.actuate;
