fn main() {
    std::process::exit(sportello::cli::run());
}
