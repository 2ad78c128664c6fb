"""The app's screens: main, detail, sensitivity, problems, help and the file-name dialog."""
