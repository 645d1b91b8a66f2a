import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs one test class or method N times in one JVM and prints each run's outcome, every failure, and the time
 * distribution. Started by scripts/repeat-test.sh with the module's test classpath.
 *
 * <p>Usage: {@code RepeatTest CLASS[#METHOD] N}
 */
public final class RepeatTest {
    /** The class, or every method of it with the given name (so that parameterized tests need no signature). */
    private static List<DiscoverySelector> selectors(String test) {
        String className = test.contains("#") ? test.substring(0, test.indexOf('#')) : test;
        if (!test.contains("#")) {
            return List.of(selectClass(className));
        }
        String name = test.substring(test.indexOf('#') + 1);
        try {
            Class<?> type = Class.forName(className);
            var selected = new ArrayList<DiscoverySelector>();
            for (Method m : type.getDeclaredMethods()) {
                if (m.getName().equals(name)) {
                    selected.add(selectMethod(type, m));
                }
            }
            return selected;
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no class " + className, e);
        }
    }

    public static void main(String[] args) throws java.io.IOException {
        if (args.length != 2) {
            System.err.println("usage: RepeatTest CLASS[#METHOD] N");
            System.exit(2);
        }
        String test = args[0];
        int times = Integer.parseInt(args[1]);
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors(test))
                .build();
        // the tests' own output (logs, child processes' lines) goes to a file, the report to the terminal
        var report = System.out;
        var log = new java.io.PrintStream(new java.io.FileOutputStream("target/repeat-test.log"), true);
        System.setOut(log);
        System.setErr(log);
        var launcher = LauncherFactory.create();
        List<Double> seconds = new ArrayList<>();
        int failedRuns = 0;
        for (int run = 1; run <= times; run++) {
            var failures = new ArrayList<String>();
            int[] tests = {0};
            long start = System.nanoTime();
            launcher.execute(request, new TestExecutionListener() {
                @Override
                public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                    if (id.isTest()) {
                        tests[0]++;
                    }
                    if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                        failures.add(id.getDisplayName() + ": " + result.getThrowable().map(Throwable::toString)
                                .orElse(result.getStatus().toString()));
                    }
                }
            });
            double s = (System.nanoTime() - start) / 1e9;
            seconds.add(s);
            if (tests[0] == 0) {
                report.println("no test matched " + test);
                System.exit(2);
            }
            if (failures.isEmpty()) {
                report.printf(Locale.ROOT, "run %d: passed (%d tests) in %.2f s%n", run, tests[0], s);
            } else {
                failedRuns++;
                report.printf(Locale.ROOT, "run %d: FAILED in %.2f s%n", run, s);
                failures.forEach(f -> report.println("    " + f));
            }
        }
        Collections.sort(seconds);
        report.printf(Locale.ROOT, "time per run: min %.2f s, median %.2f s, max %.2f s%n", seconds.get(0),
                seconds.get(seconds.size() / 2), seconds.get(seconds.size() - 1));
        report.println("repeat: " + (times - failedRuns) + " passed, " + failedRuns + " failed");
        report.println("the tests' output: target/repeat-test.log of the test's module");
        System.exit(failedRuns == 0 ? 0 : 1);
    }
}
