package io.caravan.runtime;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Tells transient failures, worth a retry, from permanent ones. The SQLState classes are the SQL standard's, as
 * PostgreSQL's documentation lists them (Appendix A, "PostgreSQL Error Codes"): class 08 (connection exception) and
 * the serialization failure 40001 and deadlock 40P01 are transient; class 28 (invalid authorization) and class 42
 * (syntax error or access rule violation, which covers a missing table or column) are permanent, as is anything
 * not known to be transient.
 */
public final class Failures {

    private Failures() {
    }

    /**
     * Looks down the cause chain: the first SQLException with a SQLState decides; without one, a refused, reset or
     * timed-out connection or an unknown host is transient (the server may be restarting or failing over), as are
     * the MongoDB driver's socket and timeout exceptions.
     *
     * @param error a failure; null gives false
     * @return true when a retry may succeed
     */
    public static boolean isTransient(Throwable error) {
        boolean network = false;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return isTransientState(sql.getSQLState());
            }
            String name = t.getClass().getName();
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof SocketTimeoutException || t instanceof UnknownHostException
                    || t instanceof SocketException || name.equals("com.mongodb.MongoSocketException")
                    || name.startsWith("com.mongodb.MongoSocket") || name.equals("com.mongodb.MongoTimeoutException")) {
                network = true;
            }
        }
        return network;
    }

    /**
     * @param sqlState a five-character SQLState
     * @return true for class 08, 40001 and 40P01
     */
    public static boolean isTransientState(String sqlState) {
        return sqlState.startsWith("08") || sqlState.equals("40001") || sqlState.equals("40P01");
    }
}
