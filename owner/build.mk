# owner objects
