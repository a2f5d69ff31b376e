/* The release version of Parley. */
#ifndef PARLEY_VERSION_H
#define PARLEY_VERSION_H
#define PARLEY_VERSION "0.1.0"
#endif
