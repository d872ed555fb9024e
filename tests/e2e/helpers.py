"""What the browser tests share that is not a fixture: the screens they run on."""

KIOSK_PORTRAIT = {"width": 1080, "height": 1920}
KIOSK_LANDSCAPE = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
