// The viewer's UTC offset in minutes (east positive): the server renders times in the viewer's zone.
window.instantChat = { utcOffsetMinutes: () => -new Date().getTimezoneOffset() };
