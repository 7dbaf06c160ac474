package io.recon.nn.gan;

import java.util.List;

/**
 * The {@code ctgan-layout.json} of a saved {@link TabularGan}: everything besides the networks'
 * parameters that sampling and decoding need (columns and their modes or categories, classes in
 * the conditional vector's order, the settings that fix the networks' shapes), and how training went.
 *
 * @param format   layout format version
 * @param kind     "ctgan"
 * @param classes  the classes, in the conditional vector's order
 * @param columns  the table's columns with their codecs
 * @param settings the training settings
 * @param critic   whether the critic's parameters were saved beside the generator's
 * @param training how training went; null when unknown
 */
record GanLayout(int format, String kind, List<String> classes, List<ColumnCodec> columns,
        TabularGan.Settings settings, boolean critic, GanTrainingReport training) {

    /** The layout format this code writes and reads. */
    static final int FORMAT = 1;
}
