package io.hishel.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * Pass-through: the response goes straight to the container, less the cache's internal fields
 * and the directives meant for other statuses than the one it is given.
 */
final class PassThroughResponse extends HttpServletResponseWrapper {
    private final CacheContext context;
    private final HttpServletRequest request;

    PassThroughResponse(CacheContext context, HttpServletRequest request, HttpServletResponse response) {
        super(response);
        this.context = context;
        this.request = request;
    }

    @Override
    public void setStatus(int sc) {
        withdrawScopedDirectives(sc);
        super.setStatus(sc);
    }

    @Override
    public void sendError(int sc, String msg) throws IOException {
        withdrawScopedDirectives(sc);
        super.sendError(sc, msg);
    }

    @Override
    public void sendError(int sc) throws IOException {
        withdrawScopedDirectives(sc);
        super.sendError(sc);
    }

    private void withdrawScopedDirectives(int status) {
        StatusScopedDirectives scoped = StatusScopedDirectives.of(request);
        if (scoped != null && !scoped.appliesTo(status) && !isCommitted()
                && scoped.value().equals(getHeader(scoped.field()))) {
            super.setHeader(scoped.field(), null);
        }
    }

    @Override
    public void setHeader(String name, String value) {
        if (!context.isInternal(name)) {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (!context.isInternal(name)) {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        if (!context.isInternal(name)) {
            super.setIntHeader(name, value);
        }
    }

    @Override
    public void addIntHeader(String name, int value) {
        if (!context.isInternal(name)) {
            super.addIntHeader(name, value);
        }
    }

    @Override
    public void setDateHeader(String name, long date) {
        if (!context.isInternal(name)) {
            super.setDateHeader(name, date);
        }
    }

    @Override
    public void addDateHeader(String name, long date) {
        if (!context.isInternal(name)) {
            super.addDateHeader(name, date);
        }
    }
}
