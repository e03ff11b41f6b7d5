/**
 * JMH micro-benchmarks of the engine and the storages, and the end-to-end load benchmark of the
 * filter behind wrk; see {@code benchmarks/README.md}.
 */
package io.hishel.benchmarks;
