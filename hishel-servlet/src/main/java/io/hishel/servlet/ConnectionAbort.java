package io.hishel.servlet;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Constructor;

/**
 * Ends a response whose body cannot be finished, so that the client sees an incomplete message
 * and nothing else. The Servlet API has no call for it: an exception thrown after the response
 * committed makes Tomcat run its error dispatch into the committed response — an error page
 * appended to the stored body, cut at the declared length, looks complete and is wrong — and
 * keeps the connection open for bytes that never come. The containers' own exception for a
 * client that went away (Tomcat's {@code ClientAbortException}, Jetty's {@code EofException})
 * skips the error pages and closes the connection at once; this makes one of those, found on the
 * container's class loader, and a plain {@link IOException} where neither exists.
 */
final class ConnectionAbort {

    private static final String[] ABORT_EXCEPTIONS = {
        "org.apache.catalina.connector.ClientAbortException", "org.eclipse.jetty.io.EofException"};

    private static final ClassValue<Constructor<? extends IOException>> CONSTRUCTORS = new ClassValue<>() {
        @Override
        protected Constructor<? extends IOException> computeValue(Class<?> responseClass) {
            ClassLoader loader = responseClass.getClassLoader();
            for (String name : ABORT_EXCEPTIONS) {
                try {
                    Class<?> type = Class.forName(name, false, loader);
                    if (IOException.class.isAssignableFrom(type)) {
                        return type.asSubclass(IOException.class).getConstructor(String.class, Throwable.class);
                    }
                } catch (ReflectiveOperationException | LinkageError absent) {
                    // Not this container.
                }
            }
            return null;
        }
    };

    private ConnectionAbort() {
    }

    /**
     * The exception to throw out of the filter to abort the response.
     *
     * @param response the container's response, whose class tells the container
     * @param message  what went wrong
     * @param cause    the failure
     * @return the container's abort exception, or a plain {@link IOException}
     */
    static IOException of(HttpServletResponse response, String message, Throwable cause) {
        Constructor<? extends IOException> constructor = CONSTRUCTORS.get(innermost(response).getClass());
        if (constructor != null) {
            try {
                return constructor.newInstance(message, cause);
            } catch (ReflectiveOperationException | RuntimeException unusable) {
                // Fall through to the portable exception.
            }
        }
        return new IOException(message, cause);
    }

    private static jakarta.servlet.ServletResponse innermost(jakarta.servlet.ServletResponse response) {
        while (response instanceof jakarta.servlet.ServletResponseWrapper wrapper) {
            response = wrapper.getResponse();
        }
        return response;
    }
}
