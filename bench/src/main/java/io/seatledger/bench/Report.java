package io.seatledger.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Every run's figures, printed as they come and at the end as a table of medians beside their goals. */
final class Report {

    private final String title;
    private final Map<String, List<Double>> figures = new LinkedHashMap<>();
    private final Map<String, String> goals = new LinkedHashMap<>();

    Report(String title) {
        this.title = title;
    }

    Report goal(String figure, String goal) {
        goals.put(figure, goal);
        return this;
    }

    void add(String label, Map<String, Double> run) {
        run.forEach((name, value) -> figures.computeIfAbsent(name, n -> new ArrayList<>()).add(value));
        System.out.printf("%s: %s%n", label, run.entrySet().stream().map(e -> e.getKey() + "=" + format(e.getValue()))
                .collect(Collectors.joining("  ")));
    }

    void print() {
        System.out.printf("%n%s (JVM %s, %d cores)%n%n", title, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        System.out.println("| figure | median | runs | goal |");
        System.out.println("|---|---:|---|---|");
        figures.forEach((name, values) -> System.out.printf("| %s | %s | %s | %s |%n", name, format(Stats.median(values)),
                values.stream().map(Report::format).collect(Collectors.joining(" · ")), goals.getOrDefault(name, "")));
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return Math.abs(value) >= 100 ? String.format("%,.0f", value) : Math.abs(value) >= 1 ? String.format("%.1f", value) : String.format("%.3f", value);
    }
}
