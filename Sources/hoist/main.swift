import HoistCLI
