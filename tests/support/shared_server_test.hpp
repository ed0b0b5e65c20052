// A test suite whose tests share one running server, started once with the
// suite's flags:
//
//   class HttpE2e : public SharedServerTest<HttpE2e> {
//    public:
//     static std::vector<std::string> Flags() { return {"--set", "server.body_limit_bytes=4096"}; }
//   };
//   TEST_F(HttpE2e, X) { Fetch(server().endpoint(), "GET", "/healthz"); }
#pragma once

#include <gtest/gtest.h>

#include <exception>
#include <memory>
#include <string>

#include "support/server_process.hpp"

namespace salesboost::testing {

template <typename Suite>
class SharedServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    try {
      server_ = ServerProcess::Start(Suite::Flags(), Suite::Environment());
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  // A server that did not start fails every test (GoogleTest would only skip them).
  void SetUp() override { ASSERT_TRUE(server_) << "the server did not start: " << start_error_; }
  // Extra environment for the server; suites may hide this.
  static std::map<std::string, std::string> Environment() { return {}; }
  static void TearDownTestSuite() { server_.reset(); }
  static ServerProcess& server() { return *server_; }

 private:
  static inline std::unique_ptr<ServerProcess> server_;
  static inline std::string start_error_;
};

}  // namespace salesboost::testing
