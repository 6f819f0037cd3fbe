package dev.ingest.capture.decode;

/**
 * Size caps applied while decoding.
 *
 * @param maxDecompressedBytes the largest payload a compressed body may inflate to (gzip bombs stop here)
 */
public record Limits(long maxDecompressedBytes) {}
