package io.recon.data;

import java.util.List;

/**
 * Which column of a training table plays which part.
 *
 * @param idColumn           row id (the split key), or null to use line numbers
 * @param labelColumn        label, or null when every row is normal
 * @param normalLabel        label value of normal rows
 * @param groupColumn        attack type / generator for per-type metrics, or null
 * @param ignoredColumns     columns that are not features (time stamps, addresses, ...)
 * @param categoricalColumns columns forced categorical (e.g. numeric codes such as ports)
 * @param numericColumns     columns that must be numeric (checked)
 */
public record ColumnRoles(String idColumn, String labelColumn, String normalLabel, String groupColumn,
        List<String> ignoredColumns, List<String> categoricalColumns, List<String> numericColumns) {
}
