// The single translation unit that compiles the stb libraries' code.
//
// Only the formats the core promises are compiled in, so that nothing else
// (PSD, HDR, PNM, PIC) is silently accepted, and there is no stdio: the core
// decodes byte buffers only, identically in the CLI and in the browser.
// JPEG is libjpeg-turbo's (image/jpeg_decoder.cpp), so stb's is left out.
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_BMP
#define STBI_ONLY_GIF
#define STBI_ONLY_TGA
#define STBI_NO_STDIO
#include <stb/stb_image.h>

#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include <stb/stb_image_resize.h>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#include <stb/stb_image_write.h>
