import HoistCLI

await HoistMain.run()
