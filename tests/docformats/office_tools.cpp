#include "office_tools.hpp"

#include <zip.h>

#include <array>
#include <cstdio>
#include <memory>
#include <stdexcept>

#include <sys/wait.h>

#include "temp_dir.hpp"

namespace imrdesk::test {
namespace {

std::string quoted(const std::string& text) {
    std::string out = "'";
    for (const char c : text) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

struct PipeCloser {
    int* status;
    void operator()(FILE* pipe) const noexcept { *status = pclose(pipe); }
};

}  // namespace

CommandResult run_command(const std::string& command) {
    CommandResult result;
    int status = -1;
    {
        std::unique_ptr<FILE, PipeCloser> pipe(popen((command + " 2>&1").c_str(), "r"), PipeCloser{&status});
        if (!pipe) return result;
        std::array<char, 4096> chunk{};
        std::size_t got = 0;
        while ((got = std::fread(chunk.data(), 1, chunk.size(), pipe.get())) > 0) result.output.append(chunk.data(), got);
    }
    result.exit_code = status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

bool have_python_module(const std::string& module) {
    return run_command("/usr/bin/python3 -c " + quoted("import " + module)).exit_code == 0;
}

bool have_soffice() { return run_command("command -v soffice").exit_code == 0; }

bool have_poppler() { return run_command("command -v pdftotext && command -v pdfinfo").exit_code == 0; }

CommandResult run_python(const std::filesystem::path& dir, const std::string& source,
                         const std::vector<std::string>& arguments) {
    const std::filesystem::path script = dir / "check.py";
    write_file(script, source);
    std::string command = "/usr/bin/python3 " + quoted(script.string());
    for (const auto& argument : arguments) command += " " + quoted(argument);
    return run_command(command);
}

std::vector<std::filesystem::path> soffice_convert(const std::filesystem::path& dir,
                                                   const std::vector<std::filesystem::path>& inputs,
                                                   const std::string& format) {
    const std::filesystem::path out_dir = dir / ("out-" + format);
    std::filesystem::create_directories(out_dir);
    std::string command = "soffice --headless --norestore -env:UserInstallation=file://" + (dir / "lo-profile").string() +
                          " --convert-to " + quoted(format) + " --outdir " + quoted(out_dir.string());
    for (const auto& input : inputs) command += " " + quoted(input.string());
    (void)run_command(command);
    const std::string extension = format.substr(0, format.find(':'));
    std::vector<std::filesystem::path> outputs;
    for (const auto& input : inputs) {
        const std::filesystem::path output = out_dir / (input.stem().string() + "." + extension);
        outputs.push_back(std::filesystem::exists(output) ? output : std::filesystem::path{});
    }
    return outputs;
}

std::map<std::string, std::string> unzip(const std::string& bytes) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    zip_t* archive = source == nullptr ? nullptr : zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
    zip_error_fini(&error);
    if (archive == nullptr) {
        zip_source_free(source);
        throw std::runtime_error("not a zip archive");
    }
    std::map<std::string, std::string> entries;
    const zip_int64_t count = zip_get_num_entries(archive, 0);
    for (zip_int64_t i = 0; i < count; ++i) {
        const auto index = static_cast<zip_uint64_t>(i);
        zip_stat_t stat;
        zip_stat_init(&stat);
        zip_file_t* file = zip_fopen_index(archive, index, 0);
        if (file == nullptr || zip_stat_index(archive, index, 0, &stat) != 0) {
            if (file != nullptr) zip_fclose(file);
            zip_discard(archive);
            throw std::runtime_error("cannot read a zip entry");
        }
        std::string content(static_cast<std::size_t>(stat.size), '\0');
        const zip_int64_t got = zip_fread(file, content.data(), content.size());
        zip_fclose(file);
        if (got < 0 || static_cast<std::size_t>(got) != content.size()) {
            zip_discard(archive);
            throw std::runtime_error("short read of a zip entry");
        }
        entries[stat.name] = std::move(content);
    }
    zip_discard(archive);
    return entries;
}

}  // namespace imrdesk::test
