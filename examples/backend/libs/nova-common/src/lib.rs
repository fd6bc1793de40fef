//! Shared library of the example backend: correlation-ID plumbing and circuit breakers.
//! A library is not a service: nova's wiring checker judges binaries only.
pub mod correlation;
pub mod resilience;
