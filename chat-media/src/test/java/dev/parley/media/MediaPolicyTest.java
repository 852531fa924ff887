package dev.parley.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.ErrorCode;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class MediaPolicyTest {

    @Test
    void defaultsAreDocumented() {
        MediaPolicy policy = MediaPolicy.defaults();
        assertThat(policy.maxBytes(MediaKind.IMAGE)).isEqualTo(20 * MediaPolicy.MIB);
        assertThat(policy.maxBytes(MediaKind.DOCUMENT)).isEqualTo(50 * MediaPolicy.MIB);
        assertThat(policy.maxBytes(MediaKind.AUDIO)).isEqualTo(20 * MediaPolicy.MIB);
        assertThat(policy.maxBytes(MediaKind.VIDEO)).isEqualTo(200 * MediaPolicy.MIB);
        assertThat(policy.maxImagePixels()).isEqualTo(50_000_000L);
        assertThat(policy.maxImageDimension()).isEqualTo(16_384);
        assertThat(policy.previewMaxEdge()).isEqualTo(320);
        assertThat(policy.maxUploadBytes()).isEqualTo(200 * MediaPolicy.MIB);
        assertThat(policy.allowedTypes()).noneMatch(MediaType::executable)
                .doesNotContain(MediaType.HTML, MediaType.SVG, MediaType.OCTET_STREAM, MediaType.OLE2, MediaType.HEIC)
                .contains(MediaType.JPEG, MediaType.DOCX, MediaType.WEBM_AUDIO, MediaType.MP4_VIDEO);
    }

    @Test
    void builderRefusesBadValuesNamingTheOption() {
        assertThatThrownBy(() -> MediaPolicy.builder().maxBytes(MediaKind.IMAGE, 0)).hasMessageContaining("maxBytes(IMAGE)");
        assertThatThrownBy(() -> MediaPolicy.builder().maxImagePixels(0)).hasMessageContaining("maxImagePixels");
        assertThatThrownBy(() -> MediaPolicy.builder().maxImageDimension(70_000)).hasMessageContaining("maxImageDimension");
        assertThatThrownBy(() -> MediaPolicy.builder().previewMaxEdge(8)).hasMessageContaining("previewMaxEdge");
    }

    @Test
    void settingAnOptionTwiceFails() {
        assertThatThrownBy(() -> MediaPolicy.builder().maxBytes(MediaKind.AUDIO, 1).maxBytes(MediaKind.AUDIO, 2))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> MediaPolicy.builder().allowedTypes(EnumSet.of(MediaType.PNG)).allowedTypes(EnumSet.of(MediaType.PNG)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> MediaPolicy.builder().maxImagePixels(5).maxImagePixels(6)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void customPolicyKeepsOtherDefaults() {
        MediaPolicy policy = MediaPolicy.builder().maxBytes(MediaKind.VIDEO, 1000).allowedTypes(EnumSet.of(MediaType.PNG)).build();
        assertThat(policy.maxBytes(MediaKind.VIDEO)).isEqualTo(1000);
        assertThat(policy.maxBytes(MediaKind.IMAGE)).isEqualTo(20 * MediaPolicy.MIB);
        assertThat(policy.allows(MediaType.PNG)).isTrue();
        assertThat(policy.allows(MediaType.JPEG)).isFalse();
        assertThat(policy.maxUploadBytes()).isEqualTo(20 * MediaPolicy.MIB);
    }

    @Test
    void reasonsMapToErrorCodes() {
        assertThat(new MediaException(MediaException.Reason.TOO_LARGE, "x").code()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(new MediaException(MediaException.Reason.DIMENSIONS_TOO_LARGE, "x").code()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(new MediaException(MediaException.Reason.EXECUTABLE, "x").code())
                .isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(new MediaException(MediaException.Reason.TYPE_NOT_ALLOWED, "x").code())
                .isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(new MediaException(MediaException.Reason.MALFORMED, "x").code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(MediaType.fromMimeType("Image/PNG; charset=x")).contains(MediaType.PNG);
        assertThat(MediaType.fromMimeType("application/x-unknown")).isEmpty();
    }
}
