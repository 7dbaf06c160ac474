package io.recon.explainer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * Groups a square map's pixels above a level into 4-connected regions, most unusual (highest peak)
 * first. Where no pixel passes the level, the one region is the peak and its neighbours above half
 * of it: the most unusual spot, though no more unusual than normal images' worst.
 */
final class ImageRegions {

    /**
     * A region's pixel indices (row-major) and its peak.
     *
     * @param pixels      indices into the map
     * @param peak        highest map value in it
     * @param aboveLevel  whether it passed the level
     */
    record Found(List<Integer> pixels, double peak, boolean aboveLevel) {
    }

    private ImageRegions() {
    }

    /** At most {@code max} regions of {@code map} (side x side) above {@code level}. */
    static List<Found> find(float[] map, int side, double level, int max) {
        List<Found> regions = grow(map, side, level, true);
        if (regions.isEmpty()) {
            int peak = 0;
            for (int p = 1; p < map.length; p++) {
                peak = map[p] > map[peak] ? p : peak;
            }
            List<Found> spot = grow(map, side, map[peak] / 2.0, false);
            int at = peak;
            regions = spot.stream().filter(r -> r.pixels().contains(at)).limit(1).toList();
        }
        return regions.stream().sorted(Comparator.comparingDouble(Found::peak).reversed()).limit(max).toList();
    }

    private static List<Found> grow(float[] map, int side, double level, boolean aboveLevel) {
        boolean[] seen = new boolean[map.length];
        List<Found> out = new ArrayList<>();
        for (int start = 0; start < map.length; start++) {
            if (seen[start] || !(map[start] > level)) {
                continue;
            }
            List<Integer> pixels = new ArrayList<>();
            double peak = Double.NEGATIVE_INFINITY;
            Deque<Integer> todo = new ArrayDeque<>();
            todo.add(start);
            seen[start] = true;
            while (!todo.isEmpty()) {
                int p = todo.poll();
                pixels.add(p);
                peak = Math.max(peak, map[p]);
                int x = p % side;
                int y = p / side;
                int[][] next = {{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}};
                for (int[] n : next) {
                    if (n[0] >= 0 && n[0] < side && n[1] >= 0 && n[1] < side) {
                        int q = n[1] * side + n[0];
                        if (!seen[q] && map[q] > level) {
                            seen[q] = true;
                            todo.add(q);
                        }
                    }
                }
            }
            out.add(new Found(pixels, peak, aboveLevel));
        }
        return out;
    }
}
