// Labelled image datasets: IDX (MNIST format, gzip or raw) and CSV (label, then pixels 0–255).
// Specs accepted by load_dataset():
//   fashion-mnist            the official 10k test split of the Debian package dataset-fashion-mnist
//   fashion-mnist:train      its 60k training split
//   idx:IMAGES,LABELS        any IDX pair (magic 0x803 images, 0x801 labels; .gz or raw)
//   csv:PATH                 one image per line: label, then pixels 0–255 (.gz or raw; a non-numeric first
//                            line is skipped as a header)
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace scnn::io {

struct Dataset {
    std::string name;                 ///< the spec it was loaded from
    int height = 0, width = 0;        ///< image size; a CSV dataset is 1 × pixels
    std::int64_t count = 0;           ///< number of images
    std::vector<std::uint8_t> pixels; ///< count × height × width, row-major, 0–255
    std::vector<std::uint8_t> labels; ///< count class labels, 0–255

    [[nodiscard]] std::int64_t pixels_per_image() const { return std::int64_t{height} * width; }
    [[nodiscard]] std::span<const std::uint8_t> image(std::int64_t i) const {
        return {pixels.data() + i * pixels_per_image(), static_cast<std::size_t>(pixels_per_image())};
    }
};

/// Directory of the Debian package dataset-fashion-mnist (overridable with $SCNN_FASHION_MNIST_DIR).
std::string fashion_mnist_dir();

/// Loads a dataset from a spec (see above). `limit` > 0 keeps only the first `limit` images.
/// Throws scnn::Error naming the file and the problem.
Dataset load_dataset(const std::string& spec, std::int64_t limit = 0);

Dataset read_idx(const std::string& images_path, const std::string& labels_path, std::int64_t limit = 0);
Dataset read_csv(const std::string& path, std::int64_t limit = 0);

/// Largest dataset accepted: images × pixels (bytes).
inline constexpr std::int64_t kMaxDatasetBytes = std::int64_t{1} << 32;

}  // namespace scnn::io
