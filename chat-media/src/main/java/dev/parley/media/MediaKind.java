package dev.parley.media;

/**
 * What an attachment is, for limits and for how a client shows it.
 *
 * @since 0.1.0
 */
public enum MediaKind {
    /** A picture shown inline with a preview. */
    IMAGE,
    /** A file offered for download: PDF, office files, text, archives. */
    DOCUMENT,
    /** Sound, voice messages included: shown with a duration and a waveform. */
    AUDIO,
    /** A film: shown with a duration and dimensions. */
    VIDEO,
    /** Anything else: unknown binary data, executables, markup a browser would run. */
    OTHER
}
