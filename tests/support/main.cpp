#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "imrdesk/crypto/errors.hpp"

int main(int argc, char** argv) {
    imrdesk::crypto::init();
    doctest::Context context;
    context.applyCommandLine(argc, argv);
    return context.run();
}
