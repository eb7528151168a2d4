#include <stdio.h>

int main(void) {
  puts("hello from a teec build");
  return 0;
}
