#include <gtest/gtest.h>
#include "core/utf8.hpp"
TEST(Utf8, Smoke) { EXPECT_TRUE(salesboost::core::IsValidUtf8("abc")); }
