package dev.parley.media.internal;

/**
 * What an image's header says, read without decoding it.
 *
 * @param width       canvas width in pixels
 * @param height      canvas height in pixels
 * @param frameWidth  width of the first frame (differs from the canvas only for GIF)
 * @param frameHeight height of the first frame
 * @param animated    more than one frame (GIF, animated WebP)
 * @param orientation EXIF orientation 1..8 of a JPEG (1 when absent)
 */
public record ImageHeader(int width, int height, int frameWidth, int frameHeight, boolean animated, int orientation) {
}
