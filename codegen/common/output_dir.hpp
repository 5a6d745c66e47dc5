// scnn::codegen::OutputDir — a generated folder that appears complete or not at all. Files are written into
// a fresh temporary sibling folder ("DIR.tmp.XXXXXX"); commit() replaces DIR with it by rename. If the
// OutputDir is destroyed without commit() (an error on the way), the temporary folder is removed and DIR is
// left as it was. An existing DIR is replaced only when it is empty or holds a previous scnn output
// (the marker file `.scnn-generated`); anything else is an error, so a user's folder is never overwritten.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace scnn::codegen {

class OutputDir {
public:
    explicit OutputDir(std::filesystem::path final_dir);  ///< throws scnn::Error (cannot create, not ours)
    ~OutputDir();
    OutputDir(const OutputDir&) = delete;
    OutputDir& operator=(const OutputDir&) = delete;

    /// Writes `relative` (sub-folders are created) under the temporary folder. Throws scnn::Error.
    void write(const std::filesystem::path& relative, std::string_view content);
    /// Copies an existing file (a runtime source) to `relative`. Throws scnn::Error.
    void copy(const std::filesystem::path& source, const std::filesystem::path& relative);
    /// Where files are being written now (the temporary folder until commit, DIR after).
    const std::filesystem::path& staging() const { return staging_; }
    const std::filesystem::path& final_dir() const { return final_; }
    /// Moves the finished folder to DIR. Throws scnn::Error.
    void commit();

private:
    std::filesystem::path final_, staging_;
    bool committed_ = false;
};

}  // namespace scnn::codegen
