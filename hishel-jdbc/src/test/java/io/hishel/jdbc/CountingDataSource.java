package io.hishel.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A DataSource that counts what one thread asks of the database through it: the connections it
 * borrows, the statements it prepares and the times it runs one. Other threads — the storage's
 * deadline sweeper, its notification listener — are not counted, so that a count is what a call
 * on the counting thread cost.
 */
final class CountingDataSource {

    private static final Set<String> EXECUTIONS = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "executeBatch", "executeLargeBatch");
    private static final Set<String> PREPARATIONS = Set.of("prepareStatement", "prepareCall", "createStatement");

    private final DataSource target;
    private final Thread counted;
    private final AtomicInteger borrowed = new AtomicInteger();
    private final AtomicInteger prepared = new AtomicInteger();
    private final AtomicInteger executed = new AtomicInteger();

    /** Counts on the thread that creates it. */
    CountingDataSource(DataSource target) {
        this.target = target;
        this.counted = Thread.currentThread();
    }

    /** The DataSource to hand to the storage. */
    DataSource dataSource() {
        return proxy(DataSource.class, target, (method, result) -> {
            if (method.getName().equals("getConnection")) {
                count(borrowed);
                return proxy(Connection.class, result, this::connection);
            }
            return result;
        });
    }

    /** What the counting thread asked since the last reset: borrowed connections, prepared statements, runs. */
    Counts counts() {
        return new Counts(borrowed.get(), prepared.get(), executed.get());
    }

    void reset() {
        borrowed.set(0);
        prepared.set(0);
        executed.set(0);
    }

    /** What was asked of the database. */
    record Counts(int borrowed, int prepared, int executed) {
    }

    private Object connection(Method method, Object result) {
        if (PREPARATIONS.contains(method.getName())) {
            count(prepared);
            Class<?> type = method.getReturnType();
            return proxy(type.asSubclass(Statement.class), result, this::statement);
        }
        return result;
    }

    private Object statement(Method method, Object result) {
        if (EXECUTIONS.contains(method.getName())) {
            count(executed);
        }
        return result;
    }

    private void count(AtomicInteger counter) {
        if (Thread.currentThread() == counted) {
            counter.incrementAndGet();
        }
    }

    /** What becomes of a call's result before the caller gets it. */
    @FunctionalInterface
    private interface After {
        Object apply(Method method, Object result);
    }

    private static <T> T proxy(Class<T> type, Object target, After after) {
        InvocationHandler handler = (proxy, method, arguments) -> {
            Object result;
            try {
                result = method.invoke(target, arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            return after.apply(method, result);
        };
        return type.cast(Proxy.newProxyInstance(CountingDataSource.class.getClassLoader(), new Class<?>[] {type},
                handler));
    }
}
