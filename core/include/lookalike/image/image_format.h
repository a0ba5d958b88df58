// Recognising an image container from its first bytes, and checking that the
// container is complete before it is decoded.
//
// stb_image is lenient with truncated input (it reads zeros past the end and
// may "succeed" with a half-grey picture), so completeness is checked here,
// on the container structure, before decoding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace lookalike {

enum class ImageFormat { Unknown, Jpeg, Png, Bmp, Gif, Tga, WebP, Avif, Heic, Tiff };

const char* format_name(ImageFormat format);  // for people: "JPEG", "WebP", "unknown"
// For files and JavaScript: the name in lower case ("jpeg", "webp", "unknown").
std::string format_key(ImageFormat format);

// True for the formats the core decodes itself (and identically in the browser).
bool core_decodes(ImageFormat format);

// Recognises a format by its signature. TGA has none: it is recognised by a
// plausible header, so Unknown means "no supported or known signature".
ImageFormat sniff_format(const std::uint8_t* data, std::size_t size);

// The width and height the header declares, read without decoding (so that
// an over-large image is refused before any decoder sees it). Returns false
// when the header is too short to say.
bool read_declared_size(ImageFormat format, const std::uint8_t* data, std::size_t size, std::uint32_t& width,
                        std::uint32_t& height);

// Throws Error(Corrupt) naming what is missing when the container ends before
// the (first) image is complete. Only meaningful for formats core_decodes().
void check_complete(ImageFormat format, const std::uint8_t* data, std::size_t size);

}  // namespace lookalike
