package io.seatledger.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The project's benchmark driver. Every figure is reported beside a raw baseline measured in the same run
 * on the same machine and database, and as the median of several runs.
 *
 * <pre>
 * java -jar bench/target/seat-ledger-bench.jar write-model [--runs=3] [--seats=100000]
 * java -jar bench/target/seat-ledger-bench.jar projections [--runs=3] [--events=1000000] [--projection=seat-pools] [--rate=1000] [--seconds=30]
 * java -jar bench/target/seat-ledger-bench.jar http [--runs=3] [--seconds=10] [--clients=50] [--assign-clients=16]
 * </pre>
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String scenario = args.length == 0 ? "write-model" : args[0];
        Map<String, String> options = new HashMap<>();
        Arrays.stream(args).skip(1).filter(arg -> arg.startsWith("--") && arg.contains("="))
                .forEach(arg -> options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1)));
        int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
        switch (scenario) {
            case "write-model" -> new WriteModelScenario(runs, Integer.parseInt(options.getOrDefault("seats", "100000"))).run();
            case "projections" -> new ProjectionScenario(runs, Integer.parseInt(options.getOrDefault("events", "1000000")),
                    options.getOrDefault("projection", "seat-pools"), Integer.parseInt(options.getOrDefault("rate", "1000")),
                    Integer.parseInt(options.getOrDefault("seconds", "30"))).run();
            case "http" -> new HttpScenario(runs, Integer.parseInt(options.getOrDefault("seconds", "10")),
                    Integer.parseInt(options.getOrDefault("clients", "50")), Integer.parseInt(options.getOrDefault("assign-clients", "16"))).run();
            default -> {
                System.err.println("unknown scenario '" + scenario + "'; scenarios: write-model, projections, http");
                System.exit(2);
            }
        }
        System.exit(0);
    }
}
