package io.recon.data;

/** How a column's cells should be turned into features. */
public enum ColumnKind {
    /** Every non-empty cell is a finite number. */
    NUMERIC,
    /** Anything else: free text, codes, or a column with no values at all. */
    CATEGORICAL
}
