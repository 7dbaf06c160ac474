/**
 * Per-feature attributions of an encoded row and how they are judged against a planted cause:
 * methods that rank the features of one row ({@link io.recon.evaluation.attribution.FeatureAttribution}),
 * the reference row some of them measure against, and the rank of the known cause in a ranking.
 * Used by the {@code explain-benchmark} command; nothing here serves alerts.
 */
package io.recon.evaluation.attribution;
