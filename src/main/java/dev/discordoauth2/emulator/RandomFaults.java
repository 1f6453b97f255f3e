package dev.discordoauth2.emulator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Faults played on a random share of a route's requests until cleared, for load and resilience tests: each request
 * of the route draws from the route's own {@link Random} (seeded for reproducible runs) and, with the given
 * probability, gets one of the faults, chosen uniformly. A fault's {@link Fault#times(int) times} does not apply
 * here. Thread-safe.
 */
final class RandomFaults {

    /** One route's plan: the probability, the faults and the random source. */
    record Plan(double probability, List<Fault> faults, Long seed, Random random) {
    }

    private final Map<String, Plan> plans = new HashMap<>();

    /** Replaces the route's plan. {@code seed} may be {@code null} for an unseeded random source. */
    synchronized void set(String route, double probability, List<Fault> faults, Long seed) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be within 0-1: " + probability);
        }
        if (faults.isEmpty()) {
            throw new IllegalArgumentException("faults must not be empty");
        }
        plans.put(route, new Plan(probability, List.copyOf(faults), seed,
                seed == null ? new Random() : new Random(seed)));
    }

    /** The fault to play on this request of the route, or {@code null}. */
    synchronized Fault pick(String route) {
        Plan plan = plans.get(route);
        if (plan == null || plan.random.nextDouble() >= plan.probability) {
            return null;
        }
        return plan.faults.get(plan.random.nextInt(plan.faults.size()));
    }

    synchronized Map<String, Plan> plans() {
        return Map.copyOf(plans);
    }

    synchronized void clear(String route) {
        if (route == null) {
            plans.clear();
        } else {
            plans.remove(route);
        }
    }
}
