#include "image/jpeg_decoder.h"

#include <algorithm>
#include <cctype>
#include <cstdio>  // jpeglib.h uses FILE and size_t without including their headers
#include <string>
#include <vector>

#include <jpeglib.h>

#include <jerror.h>

#include "lookalike/common/error.h"
#include "lookalike/image/decode_need.h"

namespace lookalike {
namespace {

// More scans than any encoder writes (libjpeg-turbo's own TurboJPEG API
// stops at the same number): a few hundred bytes of empty progressive scans
// would otherwise keep the decoder busy for minutes.
constexpr int kMaxScans = 500;

ErrorKind kind_of(int code) {
  switch (code) {
    case JERR_SOF_UNSUPPORTED:
    case JERR_NOT_COMPILED:
    case JERR_BAD_PRECISION:
    case JERR_CONVERSION_NOTIMPL: return ErrorKind::Unsupported;
    case JERR_OUT_OF_MEMORY: return ErrorKind::TooLarge;
    default: return ErrorKind::Corrupt;
  }
}

// libjpeg's message as the core words its errors: "corrupt JPEG data: bad
// Huffman code", "unsupported JPEG process: SOF type 0xc3".
std::string message_of(j_common_ptr cinfo, ErrorKind kind) {
  char text[JMSG_LENGTH_MAX] = {0};
  (*cinfo->err->format_message)(cinfo, text);
  std::string reason = text;
  const std::string prefix = "Corrupt JPEG data: ";
  if (reason.compare(0, prefix.size(), prefix) == 0) reason.erase(0, prefix.size());
  if (!reason.empty()) reason[0] = char(std::tolower(static_cast<unsigned char>(reason[0])));
  if (kind == ErrorKind::Unsupported) return reason;
  if (kind == ErrorKind::TooLarge) return "JPEG decoder: " + reason;
  return "corrupt JPEG data: " + reason;
}

// libjpeg's error_exit must not return: the core's Error unwinds through
// libjpeg's frames to decode_jpeg, whose Decompressor then frees everything.
[[noreturn]] void raise_error(j_common_ptr cinfo) {
  const ErrorKind kind = kind_of(cinfo->err->msg_code);
  fail(kind, message_of(cinfo, kind));
}

// Warnings where libjpeg carries on with data it had to invent (grey or
// zeroed blocks) are errors here: a silently partial picture would be
// indexed or searched as if it were the photo. The others (extraneous bytes
// between segments, an unknown JFIF revision or Adobe transform, a bad ICC
// marker, an odd progression) leave the pixels intact.
bool loses_pixels(int code) {
  switch (code) {
    case JWRN_HIT_MARKER:
    case JWRN_HUFF_BAD_CODE:
    case JWRN_ARITH_BAD_CODE:
    case JWRN_JPEG_EOF:
    case JWRN_MUST_RESYNC:
    case JWRN_NOT_SEQUENTIAL: return true;
    default: return false;
  }
}

void on_message(j_common_ptr cinfo, int level) {
  if (level >= 0) return;  // trace messages
  if (loses_pixels(cinfo->err->msg_code)) raise_error(cinfo);
  ++cinfo->err->num_warnings;
}

void limit_scans(j_common_ptr cinfo) {
  if (!cinfo->is_decompressor) return;
  if (reinterpret_cast<j_decompress_ptr>(cinfo)->input_scan_number > kMaxScans)
    fail(ErrorKind::Corrupt,
         "corrupt JPEG data: a progressive JPEG with more than " + std::to_string(kMaxScans) + " scans");
}

// One libjpeg decompressor over a byte buffer, destroyed whatever happens.
class Decompressor {
 public:
  Decompressor(const std::uint8_t* data, std::size_t size) {
    cinfo_.err = jpeg_std_error(&errors_);
    errors_.error_exit = raise_error;
    errors_.emit_message = on_message;
    progress_.progress_monitor = limit_scans;
    // A constructor that throws runs no destructor: what libjpeg allocated
    // before a corrupt header stopped it is freed here.
    try {
      jpeg_create_decompress(&cinfo_);
      cinfo_.progress = &progress_;
      jpeg_mem_src(&cinfo_, data, static_cast<unsigned long>(size));
      jpeg_read_header(&cinfo_, TRUE);
    } catch (...) {
      jpeg_destroy_decompress(&cinfo_);
      throw;
    }
  }
  ~Decompressor() { jpeg_destroy_decompress(&cinfo_); }
  Decompressor(const Decompressor&) = delete;
  Decompressor& operator=(const Decompressor&) = delete;

  jpeg_decompress_struct& cinfo() { return cinfo_; }

 private:
  // Zeroed, so that the destructor is safe even when creation itself fails.
  jpeg_decompress_struct cinfo_{};
  jpeg_error_mgr errors_{};
  jpeg_progress_mgr progress_{};
};

bool is_cmyk(const jpeg_decompress_struct& cinfo) {
  return cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
}

// CMYK to RGB as Pillow and stb_image do: Adobe's files store inverted ink
// values (255 = no ink), others plain ones.
void cmyk_row_to_rgb(const JSAMPLE* cmyk, std::uint8_t* rgb, int width, bool inverted) {
  for (int x = 0; x < width; ++x, cmyk += 4, rgb += 3) {
    const unsigned k = inverted ? cmyk[3] : 255u - cmyk[3];
    for (int c = 0; c < 3; ++c) {
      const unsigned ink = inverted ? cmyk[c] : 255u - cmyk[c];
      rgb[c] = static_cast<std::uint8_t>((ink * k + 127u) / 255u);
    }
  }
}

// The marker segment or entropy-coded data at `pos` ends here; 0 when the
// bytes end first.
std::size_t segment_end(const std::uint8_t* d, std::size_t n, std::size_t pos) {
  if (pos + 4 > n) return 0;
  const std::size_t end = pos + 2 + ((std::size_t(d[pos + 2]) << 8) | d[pos + 3]);
  return end <= n ? end : 0;
}

std::size_t entropy_end(const std::uint8_t* d, std::size_t n, std::size_t pos) {
  // Entropy-coded data runs to the next marker: 0xFF followed by anything
  // but a stuffed 0x00 or a restart marker.
  for (; pos + 1 < n; ++pos)
    if (d[pos] == 0xFF && d[pos + 1] != 0x00 && !(d[pos + 1] >= 0xD0 && d[pos + 1] <= 0xD7)) return pos;
  return 0;
}

bool is_progressive_frame(std::uint8_t marker) {
  return marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
}

// The components of a frame whose inverse DCT at 1/8 is 1 × 1 (it reads the
// DC coefficient alone): libjpeg gives a component a 2 × 2 DCT instead when
// its sampling factors are at most half the largest ones both ways (4:2:0
// chroma; jdmaster.c, jpeg_calc_output_dimensions), the very same test here.
// `sof` is the whole segment: marker, length, precision, height, width,
// component count, then (id, sampling factors, table) per component.
std::vector<int> dc_only_components(const std::uint8_t* sof, std::size_t length) {
  if (length < 10) return {};
  const std::size_t count = sof[9];
  if (length < 10 + 3 * count) return {};
  const auto factors = [&](std::size_t c) { return std::pair<int, int>(sof[11 + 3 * c] >> 4, sof[11 + 3 * c] & 15); };
  int max_h = 1, max_v = 1;
  for (std::size_t c = 0; c < count; ++c) {
    max_h = std::max(max_h, factors(c).first);
    max_v = std::max(max_v, factors(c).second);
  }
  std::vector<int> ids;
  for (std::size_t c = 0; c < count; ++c) {
    const auto [h, v] = factors(c);
    if (h == 0 || v == 0) return {};
    if (!(max_h % (2 * h) == 0 && max_v % (2 * v) == 0)) ids.push_back(sof[10 + 3 * c]);
  }
  return ids;
}

// A progressive JPEG without the AC scans (spectral start Ss > 0; one
// component each) of its components that a 1/8 decode reads the DC of only,
// nor their entropy-coded data; empty when the JPEG is not progressive or
// its structure is not what this walk expects (libjpeg then reads it whole,
// and says what is wrong with it).
std::vector<std::uint8_t> dc_scans_of_progressive(const std::uint8_t* d, std::size_t n) {
  std::vector<std::uint8_t> out(d, d + std::min<std::size_t>(n, 2));
  bool progressive = false;
  std::vector<int> dc_only;
  std::size_t pos = 2;
  while (pos + 1 < n) {
    if (d[pos] != 0xFF) return {};
    const std::uint8_t marker = d[pos + 1];
    if (marker == 0xFF) {
      ++pos;  // fill byte
      continue;
    }
    if (marker == 0xD9) {
      if (!progressive) return {};
      out.insert(out.end(), d + pos, d + pos + 2);
      return out;
    }
    const std::size_t end = segment_end(d, n, pos);
    if (end == 0) return {};
    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
      progressive = is_progressive_frame(marker);
      dc_only = dc_only_components(d + pos, end - pos);
    }
    if (marker != 0xDA) {
      out.insert(out.end(), d + pos, d + end);
      pos = end;
      continue;
    }
    if (!progressive || pos + 6 > n) return {};
    const std::size_t components = d[pos + 4];
    const std::size_t spectral_start = pos + 5 + 2 * components;
    const std::size_t data_end = entropy_end(d, n, end);
    if (spectral_start >= end || data_end == 0) return {};
    const bool unread = d[spectral_start] > 0 && components == 1 &&
                        std::find(dc_only.begin(), dc_only.end(), int(d[pos + 5])) != dc_only.end();
    if (!unread) out.insert(out.end(), d + pos, d + data_end);
    pos = data_end;
  }
  return {};
}

// One decode at 1/scale of whatever bytes it is given.
Image decode_scaled(const std::uint8_t* data, std::size_t size, int scale, bool block_smoothing) {
  Decompressor d(data, size);
  jpeg_decompress_struct& cinfo = d.cinfo();
  const bool cmyk = is_cmyk(cinfo);
  cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
  // libjpeg's defaults, spelled out: they are what Pillow decodes with, and
  // what the parity tests hold the CLI and the page to.
  cinfo.dct_method = JDCT_ISLOW;
  cinfo.do_fancy_upsampling = TRUE;
  cinfo.do_block_smoothing = block_smoothing ? TRUE : FALSE;
  cinfo.scale_num = 1;
  cinfo.scale_denom = static_cast<unsigned>(scale);
  jpeg_start_decompress(&cinfo);
  const int width = int(cinfo.output_width), height = int(cinfo.output_height);
  if (width != reduced_side(int(cinfo.image_width), scale) || height != reduced_side(int(cinfo.image_height), scale) ||
      cinfo.output_components != (cmyk ? 4 : 3))
    fail(ErrorKind::Corrupt, "JPEG decoder: unexpected output size " + std::to_string(width) + "×" +
                                 std::to_string(height) + " at scale 1/" + std::to_string(scale));

  Image image(width, height);
  if (cmyk) {
    std::vector<JSAMPLE> cmyk_row(std::size_t(width) * 4);
    while (cinfo.output_scanline < cinfo.output_height) {
      std::uint8_t* row = image.at(0, int(cinfo.output_scanline));
      JSAMPROW target = cmyk_row.data();
      if (jpeg_read_scanlines(&cinfo, &target, 1) != 1)
        fail(ErrorKind::Corrupt, "corrupt JPEG data: the decoder returned no row");
      cmyk_row_to_rgb(cmyk_row.data(), row, width, cinfo.saw_Adobe_marker);
    }
  } else {
    // Rows straight into the image, as many per call as libjpeg produces at once.
    std::vector<JSAMPROW> rows(static_cast<std::size_t>(height));
    for (int y = 0; y < height; ++y) rows[std::size_t(y)] = image.at(0, y);
    while (cinfo.output_scanline < cinfo.output_height) {
      const JDIMENSION done = cinfo.output_scanline;
      if (jpeg_read_scanlines(&cinfo, rows.data() + done, cinfo.output_height - done) == 0)
        fail(ErrorKind::Corrupt, "corrupt JPEG data: the decoder returned no row");
    }
  }
  jpeg_finish_decompress(&cinfo);
  return image;
}

}  // namespace

JpegHeader read_jpeg_header(const std::uint8_t* data, std::size_t size) {
  Decompressor d(data, size);
  const jpeg_decompress_struct& cinfo = d.cinfo();
  return {int(cinfo.image_width), int(cinfo.image_height), cinfo.num_components};
}

Image decode_jpeg(const std::uint8_t* data, std::size_t size, int scale, JpegScans scans) {
  if (scale != 1 && scale != 2 && scale != 4 && scale != 8)
    fail(ErrorKind::InvalidArgument, "JPEG scale must be 1, 2, 4 or 8, not " + std::to_string(scale));
  if (scale == 8 && scans == JpegScans::Needed) {
    const std::vector<std::uint8_t> dc = dc_scans_of_progressive(data, size);
    if (!dc.empty()) return decode_scaled(dc.data(), dc.size(), scale, false);
  }
  return decode_scaled(data, size, scale, true);
}

}  // namespace lookalike
