package io.hishel.servlet;

// tag::listener[]
import io.hishel.jdbc.JdbcStorage;
import io.hishel.storage.Storage;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.nio.file.Path;
import java.util.EnumSet;

/** Declared in web.xml: builds the cache when the application starts and closes its storage when it stops. */
public class CacheSetupListener implements ServletContextListener {

    private Storage storage;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        var context = event.getServletContext();
        storage = JdbcStorage.sqlite(Path.of(context.getInitParameter("hishel.sqlite-path"))).build();
        HishelCacheFilter cache = HishelCacheFilter.builder(storage).build();
        context.addFilter("hishel", cache)
                .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        storage.close();
    }
}
// end::listener[]
