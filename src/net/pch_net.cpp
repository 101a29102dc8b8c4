// Compiled once to produce the precompiled header of pch_net.hpp.
