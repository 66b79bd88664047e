import type { Config } from 'tailwindcss';

export default {
  content: ['./app/**/*.{ts,tsx}'],
  theme: {
    extend: {
      colors: {
        brand: {
          50: '#eef4ff',
          100: '#dbe6fe',
          600: '#2f55d4',
          700: '#2544ab',
          800: '#1e3a8a',
        },
      },
    },
  },
  plugins: [],
} satisfies Config;
