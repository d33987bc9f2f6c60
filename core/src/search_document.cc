#include "search_document.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <new>
#include <optional>
#include <stdexcept>
#include <string_view>

#include <lz4.h>
#include <lz4hc.h>
#include <zlib.h>

#include "schema.h"
#include "varint.h"

namespace bp::search {

std::vector<std::string> strings_field(const nlohmann::json& data, const char* name) {
  std::vector<std::string> out;
  auto it = data.find(name);
  if (it == data.end() || !it->is_array()) return out;
  for (const auto& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
    else if (v.is_number_integer()) out.push_back(std::to_string(v.get<long long>()));
  }
  return out;
}

namespace {

int int_field(const nlohmann::json& data, const char* name) {
  auto it = data.find(name);
  if (it == data.end()) return 0;
  if (it->is_number_integer()) return static_cast<int>(it->get<long long>());
  if (it->is_string()) {
    try {
      return std::stoi(it->get<std::string>());
    } catch (const std::exception&) {
      return 0;
    }
  }
  return 0;
}

}  // namespace

namespace {

// The result record: a version byte, then varint-prefixed strings and lists
// in the order of encode_result(). Binary rather than JSON: a hit decodes
// it in a few hundred instructions. Version 1 (schema 5 to 8) also held the
// body text and its words; version 2 (schema 9 to 11) had no plain words;
// version 3 (schema 12) had the snippet words in text order; version 4
// (schema 13 to 15) had no questions.
constexpr char kResultVersion = 6;

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool varint(std::uint64_t* v) { return read_varint(data_, &at_, v); }
  bool view(std::string_view* s) {
    std::uint64_t n = 0;
    if (!varint(&n) || n > data_.size() - at_) return false;
    *s = data_.substr(at_, n);
    at_ += n;
    return true;
  }
  bool string(std::string* s) {
    std::string_view v;
    if (!view(&v)) return false;
    s->assign(v);
    return true;
  }
  bool strings(std::vector<std::string>* list) {
    std::uint64_t n = 0;
    if (!varint(&n) || n > data_.size() - at_) return false;
    list->resize(n);
    for (auto& s : *list)
      if (!string(&s)) return false;
    return true;
  }
  bool integer(int* v) {
    std::uint64_t u = 0;
    if (!varint(&u)) return false;
    *v = static_cast<int>(static_cast<std::int64_t>(u));
    return true;
  }
  std::size_t at() const { return at_; }
  std::size_t left() const { return data_.size() - at_; }
  bool byte(char* c) {
    if (at_ >= data_.size()) return false;
    *c = data_[at_++];
    return true;
  }

 private:
  std::string_view data_;
  std::size_t at_ = 0;
};

// The summary fields of the record, in order; true when all were read.
bool read_summary(Reader& r, PracticeSummary* out) {
  char version = 0;
  if (!r.byte(&version) || version != kResultVersion) return false;
  PracticeSummary& p = *out;
  for (std::string* s :
       {&p.slug, &p.title, &p.summary, &p.hub, &p.region, &p.city, &p.organisation, &p.date, &p.language})
    if (!r.string(s)) return false;
  for (auto* list : {&p.themes, &p.dimensions, &p.audience, &p.modules, &p.levels, &p.subjects})
    if (!r.strings(list)) return false;
  std::uint64_t n = 0;
  if (!r.varint(&n) || n > r.left()) return false;
  p.sdgs.resize(n);
  for (int& sdg : p.sdgs)
    if (!r.integer(&sdg)) return false;
  return r.integer(&p.year) && r.integer(&p.duration_minutes);
}

}  // namespace

namespace {

// varint(size of text + words), varint(size of text), then the LZ4 block of
// the text followed by its words (varint-prefixed). LZ4's high-compression
// mode costs more at index time and nothing more to decode.
void put_packed(std::string* out, SnippetSource source) {
  std::string plain;
  plain.reserve(source.text.size() + source.words.size());
  plain.append(source.text);
  plain.append(source.words);
  if (plain.size() > static_cast<std::size_t>(LZ4_MAX_INPUT_SIZE))
    throw std::runtime_error("the body text is too long to store");
  put_varint(out, plain.size());
  put_varint(out, source.text.size());
  const int bound = LZ4_compressBound(static_cast<int>(plain.size()));
  std::string packed(static_cast<std::size_t>(bound), '\0');
  int n = 0;
  if (!plain.empty()) {
    // LZ4_compress_HC() clears a 256 KB state for every record (1.5 % of a
    // build's instructions); each thread keeps one and resets it the cheap
    // way, as LZ4_compress_HC_extStateHC_fastReset() does (not exported by
    // Debian's liblz4). The blocks are the same bytes: the state starts each
    // record past the indexes of the previous one, which LZ4 never matches.
    struct State {
      LZ4_streamHC_t* stream = LZ4_createStreamHC();
      ~State() { LZ4_freeStreamHC(stream); }
    };
    thread_local State state;
    if (state.stream == nullptr) throw std::bad_alloc();
    LZ4_resetStreamHC_fast(state.stream, LZ4HC_CLEVEL_DEFAULT);
    n = LZ4_compress_HC_continue(state.stream, plain.data(), packed.data(), static_cast<int>(plain.size()), bound);
  }
  if (n < 0 || (n == 0 && !plain.empty())) throw std::runtime_error("cannot compress the body text");
  packed.resize(static_cast<std::size_t>(n));
  put_string(out, packed);
}

bool read_packed(Reader& r, PackedText* out) {
  return r.varint(&out->size) && r.varint(&out->text_size) && r.view(&out->packed) &&
         out->text_size <= out->size && out->size <= static_cast<std::uint64_t>(LZ4_MAX_INPUT_SIZE) &&
         out->packed.size() <= static_cast<std::size_t>(LZ4_MAX_INPUT_SIZE);
}

// Decompresses `in` into `*buffer`; false when the block is damaged.
bool unpack_into(const PackedText& in, std::string* buffer, SnippetSource* out) {
  buffer->resize(in.size);
  if (in.size > 0 && LZ4_decompress_safe(in.packed.data(), buffer->data(), static_cast<int>(in.packed.size()),
                                         static_cast<int>(in.size)) != static_cast<int>(in.size))
    return false;
  const std::string_view plain(*buffer);
  *out = {plain.substr(0, in.text_size), plain.substr(in.text_size)};
  return true;
}

}  // namespace

// The summary fields, then the body, the plain words and the questions
// (put_packed()).
std::string encode_result(const PracticeSummary& p, std::string_view text,
                          std::string_view snippet_words, SnippetSource plain_words, SnippetSource questions) {
  std::string out;
  out.reserve(512 + text.size() + snippet_words.size());
  out.push_back(kResultVersion);
  for (const std::string* s :
       {&p.slug, &p.title, &p.summary, &p.hub, &p.region, &p.city, &p.organisation, &p.date, &p.language})
    put_string(&out, *s);
  for (const auto* list : {&p.themes, &p.dimensions, &p.audience, &p.modules, &p.levels, &p.subjects})
    put_strings(&out, *list);
  put_varint(&out, p.sdgs.size());
  for (int sdg : p.sdgs) put_varint(&out, static_cast<std::uint64_t>(static_cast<std::int64_t>(sdg)));
  put_varint(&out, static_cast<std::uint64_t>(static_cast<std::int64_t>(p.year)));
  put_varint(&out, static_cast<std::uint64_t>(static_cast<std::int64_t>(p.duration_minutes)));
  put_packed(&out, SnippetSource{text, snippet_words});
  put_packed(&out, plain_words);
  put_packed(&out, questions);
  return out;
}

bool decode_summary(std::string_view stored, PracticeSummary* out) {
  Reader r(stored);
  return read_summary(r, out);
}

bool decode_result(std::string_view stored, ResultRecord* out, std::string* buffer) {
  out->body = {};
  out->plain_words = {};
  out->questions = {};
  Reader r(stored);
  PackedText body;
  if (!read_summary(r, &out->practice) || !read_packed(r, &body) || !read_packed(r, &out->plain_words) ||
      !read_packed(r, &out->questions) || r.left() != 0 || !unpack_into(body, buffer, &out->body)) {
    out->body = {};
    out->plain_words = {};
    out->questions = {};
    return false;
  }
  return true;
}

SnippetSource unpack(const PackedText& packed, std::string* buffer) {
  SnippetSource out;
  if (packed.size == 0 || !unpack_into(packed, buffer, &out)) return {};
  return out;
}

namespace {

// The page data is deflated with the start of the body's plain text (kept
// in the result record) as zlib's preset dictionary: most of body_html is
// that text with tags around it, so it compresses to references into the
// text instead of a second copy (3.6 KB -> 1.1 KB per practice on the
// generated library). zlib looks back at most 32 KB, so only that much of
// the text can serve.
std::string_view page_dictionary(std::string_view text) { return text.substr(0, 32 * 1024); }

}  // namespace

std::string encode_page(const nlohmann::json& page, std::string_view text) {
  const std::string json = page.dump();
  const std::string_view dictionary = page_dictionary(text);
  z_stream z{};
  if (deflateInit(&z, Z_DEFAULT_COMPRESSION) != Z_OK) throw std::runtime_error("cannot compress the page data");
  std::string out;
  // The uncompressed size first, so that reading needs one inflate.
  put_varint(&out, json.size());
  const std::size_t header = out.size();
  out.resize(header + deflateBound(&z, static_cast<uLong>(json.size())));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(json.data()));
  z.avail_in = static_cast<uInt>(json.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data() + header);
  z.avail_out = static_cast<uInt>(out.size() - header);
  const bool ok = (dictionary.empty() ||
                   deflateSetDictionary(&z, reinterpret_cast<const Bytef*>(dictionary.data()),
                                        static_cast<uInt>(dictionary.size())) == Z_OK) &&
                  deflate(&z, Z_FINISH) == Z_STREAM_END;
  out.resize(header + z.total_out);
  deflateEnd(&z);
  if (!ok) throw std::runtime_error("cannot compress the page data");
  return out;
}

nlohmann::json page_data(const Xapian::Document& doc) {
  nlohmann::json page;
  std::string body_buffer;
  ResultRecord result;
  const bool has_result = decode_result(doc.get_value(schema::kSlotResult), &result, &body_buffer);
  const SnippetSource body = result.body;
  const std::string stored = doc.get_value(schema::kSlotPage);
  Reader r(stored);
  std::uint64_t size = 0;
  if (r.varint(&size) && size < (std::uint64_t{1} << 31)) {
    std::string json(size, '\0');
    const std::string_view packed = std::string_view(stored).substr(r.at());
    const std::string_view dictionary = page_dictionary(body.text);
    z_stream z{};
    if (inflateInit(&z) == Z_OK) {
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
      z.avail_in = static_cast<uInt>(packed.size());
      z.next_out = reinterpret_cast<Bytef*>(json.data());
      z.avail_out = static_cast<uInt>(json.size());
      int rc = inflate(&z, Z_FINISH);
      if (rc == Z_NEED_DICT &&
          inflateSetDictionary(&z, reinterpret_cast<const Bytef*>(dictionary.data()),
                               static_cast<uInt>(dictionary.size())) == Z_OK)
        rc = inflate(&z, Z_FINISH);
      if (rc == Z_STREAM_END && z.total_out == size)
        page = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
      inflateEnd(&z);
    }
  }
  if (!page.is_object()) page = nlohmann::json::object();
  if (has_result) page["text"] = std::string(body.text);
  return page;
}

PracticeSummary summary_of(const Xapian::Document& doc) {
  PracticeSummary practice;
  if (!decode_summary(doc.get_value(schema::kSlotResult), &practice)) return {};
  return practice;
}

std::string string_field(const nlohmann::json& data, const char* name) {
  auto it = data.find(name);
  if (it == data.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<long long>());
  return {};
}

PracticeSummary summary_from(const nlohmann::json& data) {
  PracticeSummary p;
  if (!data.is_object()) return p;
  p.slug = string_field(data, "slug");
  p.title = string_field(data, "title");
  p.summary = string_field(data, "summary");
  p.hub = string_field(data, "hub");
  p.region = string_field(data, "region");
  p.city = string_field(data, "city");
  p.themes = strings_field(data, "themes");
  p.dimensions = strings_field(data, "dimensions");
  for (const std::string& s : strings_field(data, "sdgs")) {
    try {
      p.sdgs.push_back(std::stoi(s));
    } catch (const std::exception&) {
    }
  }
  p.audience = strings_field(data, "audience");
  p.modules = strings_field(data, "modules");
  p.organisation = string_field(data, "organisation");
  p.year = int_field(data, "year");
  p.date = string_field(data, "date");
  p.language = string_field(data, "language");
  if (auto t = data.find("didattica"); t != data.end() && t->is_object()) {
    p.levels = strings_field(*t, "levels");
    p.subjects = strings_field(*t, "subjects");
    p.duration_minutes = int_field(*t, "duration_minutes");
  }
  return p;
}

}  // namespace bp::search
