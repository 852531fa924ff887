package dev.parley.media;

import dev.parley.core.spi.BlobRef;
import dev.parley.core.spi.BlobStore;
import dev.parley.media.internal.BlobImageInputStream;
import dev.parley.media.internal.BlobSource;
import dev.parley.media.internal.ImageHeader;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes previews of JPEG, PNG, GIF (first frame) and WebP images with ImageIO (WebP through
 * the TwelveMonkeys plugin), at most {@link MediaPolicy#previewMaxEdge()} pixels on the long
 * edge, turned upright by the JPEG's EXIF orientation.
 *
 * <pre>{@code
 * Optional<Preview> preview = new Thumbnailer(policy).store(blobs, info);
 * }</pre>
 *
 * <p>Memory stays small whatever the image: the image is read in place from the blob store,
 * its dimensions are checked against the policy before a decoder runs, and the decoder is
 * asked for every n-th pixel ({@link ImageReadParam#setSourceSubsampling}) so that what it
 * produces is at most about twice the preview size; a smooth downscale does the rest. The
 * preview is a JPEG (quality 0.85) unless the image has transparency, then a PNG. WebP images
 * over 16 megapixels get no preview: their decoder cannot subsample, so its CPU cost grows with
 * the full pixel count.
 *
 * @since 0.1.0
 */
public final class Thumbnailer {
    private static final Logger LOG = LoggerFactory.getLogger(Thumbnailer.class);
    private static final long MAX_PREVIEW_BYTES = 4 * MediaPolicy.MIB;
    /**
     * The TwelveMonkeys WebP decoder decodes every pixel before subsampling: memory stays small,
     * but a 49-megapixel WebP took about 8 s of CPU here. Larger WebPs get no preview.
     */
    static final long MAX_WEBP_PREVIEW_PIXELS = 16_777_216L;

    private final MediaPolicy policy;
    private final MediaInspector inspector;

    public Thumbnailer(MediaPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.inspector = new MediaInspector(policy);
    }

    /** Whether previews are made for this type. */
    public static boolean supports(MediaType type) {
        return type == MediaType.JPEG || type == MediaType.PNG || type == MediaType.GIF
                || type == MediaType.WEBP && ImageIO.getImageReadersByMIMEType("image/webp").hasNext();
    }

    /** A preview that is not stored yet. */
    public record Rendered(MediaType type, int width, int height, byte[] bytes) {
    }

    /**
     * Renders and stores the preview of an inspected image.
     *
     * @return empty for a type without previews, or when the decoder cannot read this image
     *         (an unusual JPEG colour space, a damaged but complete file); the reason is logged
     * @throws MediaException {@code DIMENSIONS_TOO_LARGE} for an image over the policy's limits
     */
    public Optional<Preview> store(BlobStore store, MediaInfo image) throws IOException {
        Optional<Rendered> rendered = render(store, image);
        if (rendered.isEmpty()) {
            return Optional.empty();
        }
        Rendered preview = rendered.get();
        BlobRef ref = store.put(new ByteArrayInputStream(preview.bytes()), MAX_PREVIEW_BYTES);
        return Optional.of(new Preview(ref.id(), preview.type(), preview.width(), preview.height(), ref.size()));
    }

    /** Renders the preview of an inspected image without storing it. */
    public Optional<Rendered> render(BlobStore store, MediaInfo image) throws IOException {
        if (!supports(image.type()) || image.width() == null || image.height() == null) {
            return Optional.empty();
        }
        if (image.type() == MediaType.WEBP && (long) image.width() * image.height() > MAX_WEBP_PREVIEW_PIXELS) {
            LOG.debug("no preview for WebP {} of {}x{}: decoding it costs too much CPU", image.id(), image.width(), image.height());
            return Optional.empty();
        }
        inspector.checkDimensions(new ImageHeader(image.width(), image.height(),
                image.width(), image.height(), false, 1));
        BufferedImage decoded;
        try (BlobSource source = new BlobSource(store, image.id(), image.size());
             ImageInputStream in = new BlobImageInputStream(source)) {
            decoded = decode(in, image.type());
        } catch (IOException | RuntimeException e) {
            if (e instanceof MediaException) {
                throw e;
            }
            LOG.debug("no preview for {} {}: {}", image.type(), image.id(), e.toString());
            return Optional.empty();
        }
        if (decoded == null) {
            return Optional.empty();
        }
        BufferedImage upright = orient(decoded, image.orientation() == null ? 1 : image.orientation());
        BufferedImage scaled = scale(upright, policy.previewMaxEdge());
        boolean alpha = scaled.getColorModel().hasAlpha();
        byte[] bytes = alpha ? png(scaled) : jpeg(scaled);
        return Optional.of(new Rendered(alpha ? MediaType.PNG : MediaType.JPEG, scaled.getWidth(), scaled.getHeight(), bytes));
    }

    private BufferedImage decode(ImageInputStream in, MediaType type) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(type.mimeType());
        if (!readers.hasNext()) {
            return null;
        }
        ImageReader reader = readers.next();
        try {
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            // The decoder's own view of the size, checked again before it allocates anything.
            inspector.checkDimensions(new ImageHeader(width, height, width, height, false, 1));
            ImageReadParam param = reader.getDefaultReadParam();
            int step = Math.max(1, Math.max(width, height) / (2 * policy.previewMaxEdge()));
            param.setSourceSubsampling(step, step, 0, 0);
            return reader.read(0, param);
        } finally {
            reader.dispose();
        }
    }

    /** Applies an EXIF orientation (1..8) so the image is upright. */
    static BufferedImage orient(BufferedImage image, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = orientation >= 5;
        // x' = m00·x + m01·y + m02, y' = m10·x + m11·y + m12 (constructor order m00, m10, m01, m11, m02, m12)
        AffineTransform t = switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0); // mirrored
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h); // upside down
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h); // mirrored vertically
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0); // transposed
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0); // needs 90° clockwise
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w); // transversed
            default -> new AffineTransform(0, -1, 1, 0, 0, w); // 8: needs 90° counter-clockwise
        };
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, imageType(image));
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(image, t, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Downscales to fit {@code edge}, halving first for quality, then one bilinear step. */
    static BufferedImage scale(BufferedImage image, int edge) {
        BufferedImage current = image;
        int w = image.getWidth();
        int h = image.getHeight();
        double factor = Math.min(1.0, (double) edge / Math.max(w, h));
        int targetW = Math.max(1, (int) Math.round(w * factor));
        int targetH = Math.max(1, (int) Math.round(h * factor));
        int type = imageType(image);
        do {
            int nextW = Math.max(targetW, current.getWidth() / 2);
            int nextH = Math.max(targetH, current.getHeight() / 2);
            if (current.getWidth() <= targetW * 2 || current.getHeight() <= targetH * 2) {
                nextW = targetW;
                nextH = targetH;
            }
            BufferedImage next = new BufferedImage(nextW, nextH, type);
            Graphics2D g = next.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                g.drawImage(current, 0, 0, nextW, nextH, null);
            } finally {
                g.dispose();
            }
            current = next;
        } while (current.getWidth() != targetW || current.getHeight() != targetH);
        return current;
    }

    private static int imageType(BufferedImage image) {
        return image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.85f);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", bytes)) {
            throw new IOException("no PNG writer");
        }
        return bytes.toByteArray();
    }
}
