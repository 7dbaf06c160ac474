/**
 * Medical-image data for training and evaluating slice models: rigid augmentation of CT slices,
 * the intracranial mask, synthetic lesions with their ground-truth masks, and rendering of
 * Hounsfield-unit slices into model input. Used by the {@code ct-slice-benchmark} command; the
 * service itself only needs {@link io.recon.imaging}.
 */
package io.recon.data.medical;
