#include "client/line_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace salesboost::client {
namespace {

using std::chrono::milliseconds;

class Pipe {
 public:
  Pipe() { EXPECT_EQ(pipe(fds_), 0); }
  ~Pipe() {
    close(fds_[0]);
    if (fds_[1] >= 0) close(fds_[1]);
  }
  int read_end() const { return fds_[0]; }
  void Write(const std::string& text) { EXPECT_EQ(write(fds_[1], text.data(), text.size()), ssize_t(text.size())); }
  void CloseWrite() {
    close(fds_[1]);
    fds_[1] = -1;
  }

 private:
  int fds_[2] = {-1, -1};
};

TEST(LineReader, LinesFromAPipeArriveWholeInOrderThenTheEnd) {
  Pipe in;
  LineReader reader(in.read_end(), stdout);
  EXPECT_FALSE(reader.IsTerminal());
  EXPECT_FALSE(reader.Next(milliseconds(50))) << "nothing typed yet";
  const std::string long_line(5000, 'x');  // longer than a terminal's canonical line
  in.Write("first\r\n" + long_line + "\nunfinished");
  in.CloseWrite();
  auto first = reader.Next(milliseconds(2000));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->text, "first");
  EXPECT_EQ(first->number, 1u);
  auto second = reader.Next(milliseconds(2000));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->text, long_line);
  auto last = reader.Next(milliseconds(2000));
  ASSERT_TRUE(last);
  EXPECT_EQ(last->text, "unfinished") << "a last line without a newline still counts";
  EXPECT_EQ(reader.Completed(), 3u);
  auto end = reader.Next(milliseconds(2000));
  ASSERT_TRUE(end);
  EXPECT_TRUE(end->end);
  EXPECT_TRUE(reader.Next(milliseconds(0))->end) << "the end stays";
}

TEST(LineReader, StopsPromptlyWhileNothingIsTyped) {
  Pipe in;
  const auto start = std::chrono::steady_clock::now();
  { LineReader reader(in.read_end(), stdout); }
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1000));
}

}  // namespace
}  // namespace salesboost::client
