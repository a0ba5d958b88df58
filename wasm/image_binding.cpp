// Image entry points: recognise a format, decode and orient image bytes with
// the core's decoder (identical to the offline tools), and wrap pixels the
// browser decoded (formats the core lacks) as an RgbImage.
//
//   sniffFormat(bytes)                  -> {format, coreDecodes}
//   decodeImage(bytes, options?)        -> {image, width, height, format, orientation,
//                                           storedWidth, storedHeight, hadAlpha, reduction, jpegScale,
//                                           pixels?, channels?}
//
// options.need (featureInfo(spec).decodeNeed, parseModelCard(json).decodeNeed)
// lets a large photo be decoded reduced, exactly as the CLI decodes it for
// that feature or model.
//   imageFromPixels(pixels, w, h, ch)   -> RgbImage
#include <algorithm>
#include <cctype>
#include <string>

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include "decode_need_js.h"
#include "js_arrays.h"
#include "js_result.h"
#include "lookalike/common/error.h"
#include "lookalike/image/decode.h"
#include "lookalike/image/image_format.h"
#include "rgb_image.h"

namespace lookalike::wasm {
namespace {

using emscripten::val;

val sniff_format_js(val bytes_value) {
  return guarded([&] {
    const auto bytes = bytes_from_js(bytes_value, "bytes");
    const ImageFormat format = sniff_format(bytes.data(), bytes.size());
    val out = val::object();
    out.set("format", format_key(format));
    out.set("coreDecodes", core_decodes(format));
    return out;
  });
}

val decode_image_js(val bytes_value, val options) {
  return guarded([&] {
    require_options_object(options, "options");
    const auto bytes = bytes_from_js(bytes_value, "bytes");
    DecodeOptions decode_options;
    decode_options.apply_exif_orientation = bool_option(options, "applyExifOrientation", true);
    decode_options.max_pixels =
        static_cast<std::uint64_t>(number_option(options, "maxPixels", double(decode_options.max_pixels), 1, 1e9));
    decode_options.need = decode_need_option(options);
    const std::string pixels = string_option(options, "pixels", "none");
    if (pixels != "none" && pixels != "rgb" && pixels != "rgba")
      fail(ErrorKind::InvalidArgument, "option pixels must be \"none\", \"rgb\" or \"rgba\", not \"" + pixels + "\"");

    DecodedImage decoded = decode_image(bytes.data(), bytes.size(), decode_options);
    val out = val::object();
    out.set("width", decoded.image.width);
    out.set("height", decoded.image.height);
    out.set("format", format_key(decoded.format));
    out.set("orientation", decoded.exif_orientation);
    out.set("storedWidth", decoded.stored_width);
    out.set("storedHeight", decoded.stored_height);
    out.set("hadAlpha", decoded.had_alpha);
    out.set("reduction", decoded.reduction);
    out.set("jpegScale", decoded.jpeg_scale);
    RgbImage image(std::move(decoded.image));
    if (pixels == "rgb") {
      out.set("pixels", image.rgb());
      out.set("channels", 3);
    } else if (pixels == "rgba") {
      out.set("pixels", image.rgba());
      out.set("channels", 4);
    }
    out.set("image", val(std::move(image)));
    return out;
  });
}

val decode_image_default_js(val bytes_value) { return decode_image_js(bytes_value, val::undefined()); }

val image_from_pixels_js(val pixels_value, val width, val height, val channels) {
  return guarded([&] {
    const auto pixels = bytes_from_js(pixels_value, "pixels");
    if (!width.isNumber() || !height.isNumber() || !channels.isNumber())
      fail(ErrorKind::InvalidArgument, "width, height and channels must be numbers");
    Image image =
        image_from_pixels(pixels.data(), pixels.size(), width.as<int>(), height.as<int>(), channels.as<int>());
    return val(RgbImage(std::move(image)));
  });
}

}  // namespace
}  // namespace lookalike::wasm

EMSCRIPTEN_BINDINGS(lookalike_image) {
  using namespace lookalike::wasm;
  emscripten::class_<RgbImage>("RgbImage")
      .property("width", &RgbImage::width)
      .property("height", &RgbImage::height)
      .function("rgb", &RgbImage::rgb)
      .function("rgba", &RgbImage::rgba);
  emscripten::function("sniffFormat", &sniff_format_js);
  // embind checks the argument count, so the optional argument is an overload.
  emscripten::function("decodeImage", &decode_image_default_js);
  emscripten::function("decodeImage", &decode_image_js);
  emscripten::function("imageFromPixels", &image_from_pixels_js);
}
