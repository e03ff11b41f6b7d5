package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The fuzz tests' log comparison sees what both logging paths of a server write. */
class LogCaptureTest {

    @Test
    void capturesTheCachesWarningsAndTomcatsErrorsWithTheirThreadAndException() {
        String thread = Thread.currentThread().getName();
        try (LogCapture log = new LogCapture()) {
            LoggerFactory.getLogger("io.hishel.servlet.Probe").warn("probe", new IllegalStateException("probe"));
            Logger.getLogger("org.apache.catalina.Probe").log(Level.SEVERE, "probe", new java.io.IOException("probe"));
            LoggerFactory.getLogger("io.hishel.servlet.Probe").debug("not a warning");

            assertThat(log.drain(thread)).extracting(LogCapture.Event::kind).containsExactly(
                    "WARN io.hishel.servlet.Probe java.lang.IllegalStateException",
                    "SEVERE org.apache.catalina.Probe java.io.IOException");
            assertThat(log.drain(thread)).isEmpty();
        }
    }
}
