package io.recon.replay;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.recon.data.Table;

/**
 * The order the replay role sends recorded rows in. Captures are recorded one generator after
 * another, so file order would send thousands of normal flows and then thousands of attacks.
 * Real traffic is mostly normal with attacks mixed in: this order shuffles the normal rows and
 * slips an attack row in at a fixed share, both from a seed, so every run replays the same way.
 */
public final class ReplayOrder {

    private ReplayOrder() {
    }

    /**
     * @param table       the recorded rows
     * @param attackShare fraction of replayed events that are attacks (0..1); negative keeps
     *                    file order
     * @param seed        shuffle seed
     * @return row indexes in replay order (one pass: every normal row once, attacks cycled)
     */
    public static int[] of(Table table, double attackShare, long seed) {
        int label = table.columns().indexOf("label");
        if (attackShare < 0 || label < 0) {
            int[] all = new int[table.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        List<Integer> normals = new ArrayList<>();
        List<Integer> attacks = new ArrayList<>();
        for (int i = 0; i < table.size(); i++) {
            ("normal".equals(table.rows().get(i)[label].trim()) ? normals : attacks).add(i);
        }
        Random random = new Random(seed);
        Collections.shuffle(normals, random);
        Collections.shuffle(attacks, random);
        List<Integer> order = new ArrayList<>();
        double owed = 0;
        int nextAttack = 0;
        for (int n : normals) {
            order.add(n);
            owed += attackShare / (1 - Math.min(attackShare, 0.99));
            while (owed >= 1 && !attacks.isEmpty()) {
                order.add(attacks.get(nextAttack++ % attacks.size()));
                owed -= 1;
            }
        }
        return order.stream().mapToInt(Integer::intValue).toArray();
    }
}
