package io.caravan.serve;

import io.caravan.runtime.CaravanRuntime;
import io.caravan.runtime.Leadership;
import io.caravan.runtime.TableControl;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One active process per job through Camel's cluster service: each job is a cluster namespace
 * ({@code caravan-<job>}); the process whose member leads the namespace runs the job's tables, the others skip their
 * schedules. Here the service is Camel's {@link FileLockClusterService}: a lock file per job under a directory the
 * processes share; the operating system releases a dead holder's lock, and another process takes it at its next
 * attempt ({@value #ATTEMPT_SECONDS} s apart), well within 15 seconds. On Kubernetes, Camel's Lease-based
 * {@code KubernetesClusterService} plays the same part.
 *
 * <p>A process that gains a job runs its self-managed tables that have not run here yet; scheduled tables resume
 * at their next fire, from the committed cursor.
 */
public final class ClusterLeadership implements Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLeadership.class);

    /** Seconds between attempts to take a job's lock. */
    static final int ATTEMPT_SECONDS = 2;

    private final CamelClusterService service;
    private final CaravanRuntime runtime;
    private final Map<String, CamelClusterView> views = new ConcurrentHashMap<>();

    /**
     * @param service the cluster service, added to the context by {@link #fileLocks}; never null
     * @param runtime the runtime whose tables this process runs; never null
     */
    ClusterLeadership(CamelClusterService service, CaravanRuntime runtime) {
        this.service = service;
        this.runtime = runtime;
    }

    /**
     * @param context the CamelContext to add the service to (before it starts)
     * @param root    directory of the lock files, shared by the processes; created when missing
     * @param runtime the runtime; never null
     * @return leadership through file locks under {@code root}
     */
    static ClusterLeadership fileLocks(CamelContext context, Path root, CaravanRuntime runtime) throws Exception {
        java.nio.file.Files.createDirectories(root);
        FileLockClusterService service = new FileLockClusterService();
        service.setId("caravan-" + ProcessHandle.current().pid());
        service.setRoot(root.toAbsolutePath().toString());
        service.setAcquireLockDelay(100, TimeUnit.MILLISECONDS);
        service.setAcquireLockInterval(ATTEMPT_SECONDS, TimeUnit.SECONDS);
        context.addService(service);
        return new ClusterLeadership(service, runtime);
    }

    /**
     * Joins the job's namespace, so that this process competes for it from now on. Idempotent.
     *
     * @param job a job name
     */
    void join(String job) {
        view(job);
    }

    @Override
    public boolean holds(String job) {
        CamelClusterMember local = view(job).getLocalMember();
        return local != null && local.isLeader();
    }

    private CamelClusterView view(String job) {
        return views.computeIfAbsent(job, j -> {
            try {
                CamelClusterView view = service.getView(namespace(j));
                view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) -> changed(j, v, leader));
                return view;
            } catch (Exception e) {
                throw new IllegalStateException("cannot join the cluster namespace of job " + j + ": " + e, e);
            }
        });
    }

    private void changed(String job, CamelClusterView view, CamelClusterMember leader) {
        CamelClusterMember local = view.getLocalMember();
        if (local == null || !local.isLeader()) {
            if (leader != null) {
                LOG.info("job {}: another process holds it now ({})", job, leader.getId());
            }
            return;
        }
        LOG.info("job {}: this process holds it now and runs its tables", job);
        runtime.mappings().values().stream().filter(m -> m.name().equals(job)).findFirst().ifPresent(m -> {
            for (var t : m.tables()) {
                TableControl control = runtime.table(job, t.tableName());
                if (control != null && control.selfManaged() && runtime.firstOneShot(job, t.tableName())) {
                    control.runNow("start after taking the job over");
                }
            }
        });
    }

    /** @return the namespace of a job: {@code caravan-} and the job name with characters unsafe in file names as _ */
    static String namespace(String job) {
        return "caravan-" + job.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
