// The one Boost.Test main shared by every test executable (shared-library variant).
#define BOOST_TEST_MODULE wst
#include <boost/test/unit_test.hpp>
