export const marker = "parley-test-app";
