fn main() {
    sportello::logging::init();
    std::process::exit(sportello::cli::run());
}
