package io.recon.event;

import io.recon.imaging.GrayImage;

/**
 * A decoded medical-image event, ready for scoring.
 *
 * @param id       unique event id (alerts are keyed by it)
 * @param ts       event time, epoch milliseconds
 * @param source   producer (scanner, PACS router, test harness)
 * @param modality modality from the envelope, else from the DICOM header, else "unknown"
 * @param image    the decoded image in [0,1]
 */
public record ImageEvent(String id, long ts, String source, String modality, GrayImage image) {
}
