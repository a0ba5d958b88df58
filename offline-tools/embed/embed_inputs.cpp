#include "embed/embed_inputs.h"

#include "common/files.h"
#include "common/text.h"
#include "dataset/manifest.h"
#include "lookalike/common/error.h"

namespace lookalike::cli {
namespace {

std::string text_field(const nlohmann::json& item, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    const auto it = item.find(key);
    if (it != item.end() && it->is_string()) return it->get<std::string>();
  }
  return "";
}

void add_manifest(const fs::path& manifest, std::vector<EmbedInput>& out) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(read_text_file(manifest));
  } catch (const nlohmann::json::exception& e) {
    fail(ErrorKind::Corrupt, "manifest " + manifest.string() + " is not valid JSON: " + e.what());
  }
  // A `lookalike prep` manifest: its images' paths are relative to the
  // source folders it lists ("roots"), wherever its --out was.
  if (root.is_object() && root.contains("roots")) {
    const Manifest prepared = manifest_from_json(root, manifest.string());
    for (const ManifestImage& image : prepared.images) {
      EmbedInput input;
      input.path = prepared.file(image).lexically_normal().string();
      input.label = image.label;
      input.split = split_name(image.split);
      out.push_back(std::move(input));
    }
    return;
  }
  fs::path base = manifest.parent_path();
  const nlohmann::json* items = &root;
  if (root.is_object()) {
    if (root.contains("root") && root["root"].is_string()) base = base / root["root"].get<std::string>();
    items = nullptr;
    for (const char* key : {"items", "images"})
      if (root.contains(key) && root[key].is_array()) {
        items = &root[key];
        break;
      }
  }
  if (!items || !items->is_array())
    fail(ErrorKind::Corrupt,
         "manifest " + manifest.string() + " has no \"items\" array (nor \"images\", nor is it an array)");
  std::size_t index = 0;
  for (const auto& item : *items) {
    EmbedInput input;
    std::string path;
    if (item.is_string()) {
      path = item.get<std::string>();
    } else if (item.is_object()) {
      path = text_field(item, {"path", "file"});
      input.label = text_field(item, {"label", "class"});
      input.split = text_field(item, {"split"});
      if (item.contains("id")) input.id = item["id"];
    }
    if (path.empty())
      fail(ErrorKind::Corrupt,
           "manifest " + manifest.string() + ": item " + std::to_string(index) + " has no \"path\"");
    const fs::path p(path);
    input.path = (p.is_absolute() ? p : base / p).lexically_normal().string();
    out.push_back(std::move(input));
    ++index;
  }
}

}  // namespace

std::vector<EmbedInput> collect_embed_inputs(const std::vector<std::string>& arguments) {
  std::vector<EmbedInput> inputs;
  for (const auto& argument : arguments) {
    const fs::path path(argument);
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      for (const auto& file : list_image_files(path)) {
        EmbedInput input;
        input.path = file.string();
        const fs::path relative = file.lexically_relative(path);
        if (std::distance(relative.begin(), relative.end()) >= 2) input.label = relative.begin()->string();
        inputs.push_back(std::move(input));
      }
    } else if (fs::is_regular_file(path, ec)) {
      const std::string ext = lower_ascii(path.extension().string());
      if (ext == ".json") {
        add_manifest(path, inputs);
      } else {
        EmbedInput input;
        input.path = path.string();
        inputs.push_back(std::move(input));
      }
    } else {
      fail(ErrorKind::Io, "no such file or folder: " + argument);
    }
  }
  return inputs;
}

}  // namespace lookalike::cli
