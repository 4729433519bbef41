package org.cdln.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Sums the executors' run time of the tasks of the C-DLN's gradient steps (the stages submitted
 * while the fit's loop marks its jobs with the local property {@value #PHASE} = {@value #STEP}),
 * so that a step's wall time can be split into task compute and the rest (scheduling, task and
 * result serialisation, broadcasts, the driver's update). Task run time excludes deserialisation,
 * which is summed separately.
 */
public final class TaskTimeListener extends SparkListener {
    /** The local property the fit's loop sets on its jobs. */
    public static final String PHASE = "cdln.phase";
    /** Its value during the gradient steps. */
    public static final String STEP = "step";

    private final Map<Integer, Boolean> stepStages = new ConcurrentHashMap<>();
    private final AtomicLong runMs = new AtomicLong();
    private final AtomicLong deserializeMs = new AtomicLong();
    private final AtomicLong gcMs = new AtomicLong();
    private final AtomicLong tasks = new AtomicLong();
    private final AtomicLong stages = new AtomicLong();

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
        java.util.Properties p = e.properties();
        if (p != null && STEP.equals(p.getProperty(PHASE))) {
            stepStages.put(e.stageInfo().stageId(), Boolean.TRUE);
            stages.incrementAndGet();
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        TaskMetrics m = e.taskMetrics();
        if (m == null || !stepStages.containsKey(e.stageId())) {
            return;
        }
        runMs.addAndGet(m.executorRunTime());
        deserializeMs.addAndGet(m.executorDeserializeTime());
        gcMs.addAndGet(m.jvmGCTime());
        tasks.incrementAndGet();
    }

    /** Task run time of the steps' stages so far, seconds. */
    public double runSeconds() {
        return runMs.get() / 1000.0;
    }

    public double deserializeSeconds() {
        return deserializeMs.get() / 1000.0;
    }

    public double gcSeconds() {
        return gcMs.get() / 1000.0;
    }

    public long tasks() {
        return tasks.get();
    }

    public long stages() {
        return stages.get();
    }
}
