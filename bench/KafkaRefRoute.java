import org.apache.camel.main.Main;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;

/**
 * The reference consumer of bench/kafka-source.sh: a plain Camel main that loads one YAML route file (the route the
 * Camel docs show: {@code kafka:} -> {@code unmarshal: json} -> {@code sql:INSERT ...} with a DataSource bean),
 * starts it, and stops once the table holds N rows (polled with {@code SELECT count(*)} every 50 ms). Prints
 * {@code done rows=<n> route_s=<seconds from the route's start to N rows>}.
 *
 * <p>Run with the class path of bench/kafka-ref/pom.xml:
 * {@code java -cp <cp> bench/KafkaRefRoute.java ROUTE.yaml JDBC_URL USER TABLE N}. Fails (exit 1) when the rows do
 * not reach N within 30 minutes.
 */
public final class KafkaRefRoute {

    private KafkaRefRoute() {
    }

    /**
     * @param args ROUTE.yaml JDBC_URL USER TABLE N
     * @throws Exception when Camel or the database fails
     */
    public static void main(String[] args) throws Exception {
        String route = args[0];
        String url = args[1];
        String user = args[2];
        String table = args[3];
        long n = Long.parseLong(args[4]);
        Main main = new Main();
        main.configure().withRoutesIncludePattern("file:" + route);
        main.start();
        long t0 = System.nanoTime();
        long rows = 0;
        long deadline = t0 + 30L * 60 * 1_000_000_000L;
        try (Connection c = DriverManager.getConnection(url, user, System.getenv("PGPASSWORD"));
             Statement st = c.createStatement()) {
            while (rows < n && System.nanoTime() < deadline) {
                Thread.sleep(50);
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    rows = rs.getLong(1);
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        main.stop();
        System.out.printf(Locale.ROOT, "done rows=%d route_s=%.3f%n", rows, secs);
        System.exit(rows >= n ? 0 : 1);
    }
}
